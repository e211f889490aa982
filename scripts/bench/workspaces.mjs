// Generated workspaces for the scan measures, kept in the temp folder between runs.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The corpus's small candidate files (relative paths), sorted: what the replicated workspaces copy. */
function corpusFiles(corpus) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(tf|ya?ml|json|template)$/.test(e.name) && fs.statSync(full).size < 8192) out.push(path.relative(corpus, full));
    }
  };
  walk(corpus);
  return out.sort();
}

function once(dir, build) {
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  build(dir);
  fs.writeFileSync(path.join(dir, '.complete'), '');
  return dir;
}

/** `n` files: copies of the corpus's small files, folder structure kept so modules stay whole. */
export function replicatedCorpus(work, corpus, n) {
  return once(path.join(work, `ws-${n}`), (dir) => {
    const files = corpusFiles(corpus);
    for (let i = 0; i < n; i++) {
      const source = files[i % files.length];
      const target = path.join(dir, `copy-${Math.floor(i / files.length)}`, source);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(corpus, source), target);
    }
  });
}

/**
 * A workspace more like a real monorepo: one folder in ten is CloudTrail's (copied from the
 * corpus), the others are ordinary modules (buckets, roles, queues) the scan must read but
 * need not parse.
 */
export function mixedWorkspace(work, corpus, n) {
  return once(path.join(work, `mixed-${n}`), (dir) => {
    const related = corpusFiles(corpus);
    let written = 0;
    for (let folder = 0; written < n; folder++) {
      const target = path.join(dir, `service-${folder}`);
      fs.mkdirSync(target, { recursive: true });
      if (folder % 10 === 0) {
        const source = related[folder % related.length];
        fs.copyFileSync(path.join(corpus, source), path.join(target, path.basename(source)));
        written++;
        continue;
      }
      for (const [name, text] of Object.entries(ordinaryModule(folder))) {
        if (written >= n) break;
        fs.writeFileSync(path.join(target, name), text);
        written++;
      }
    }
  });
}

function ordinaryModule(i) {
  return {
    'main.tf': `resource "aws_s3_bucket" "data" {\n  bucket = "data-${i}"\n  tags   = var.tags\n}\n\nresource "aws_iam_role" "app" {\n  name               = "app-${i}"\n  assume_role_policy = data.aws_iam_policy_document.assume.json\n}\n\ndata "aws_iam_policy_document" "assume" {\n  statement {\n    actions = ["sts:AssumeRole"]\n    principals {\n      type        = "Service"\n      identifiers = ["lambda.amazonaws.com"]\n    }\n  }\n}\n\nresource "aws_sqs_queue" "jobs" {\n  name = "jobs-${i}"\n}\n`,
    'variables.tf': `variable "tags" {\n  type    = map(string)\n  default = {}\n}\n`,
    'outputs.tf': `output "bucket" {\n  value = aws_s3_bucket.data.id\n}\n`,
  };
}
