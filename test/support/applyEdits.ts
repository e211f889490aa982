/** Tests apply edits with the engine's own function, the one fix-all uses. */
export { applyTextEdits as applyEdits } from '../../server/src/engine/edits/applyTextEdits';
