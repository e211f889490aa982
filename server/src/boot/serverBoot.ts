/**
 * The language server's entry point (`dist/server.js`): loads the server's bundle
 * (`dist/languageServer.js`) with its compiled code cached between starts. The editor passes
 * its storage for this extension in CLOUDTRAIL_KMS_LINT_CACHE_DIR; other clients get a
 * per-user directory.
 */
import * as path from 'node:path';
import { compileCacheDir, requireCached } from './compileCache';

requireCached(path.join(__dirname, 'languageServer.js'), compileCacheDir(process.env.CLOUDTRAIL_KMS_LINT_CACHE_DIR));
