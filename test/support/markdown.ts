/** Markdown as a reader sees it once rendered: links become their text, escapes are dropped. */
export function renderedText(markdown: string): string {
  return markdown.replace(/\[((?:\\.|[^\]\\])*)\]\([^)\s]*\)/g, '$1').replace(/\\([\\`[\]])/g, '$1');
}
