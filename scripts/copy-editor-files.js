// Node-RED loads a node's editor half (.html, locales/, icons/) from the directory of its
// runtime .js, so tsc's output needs them beside it.
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const source = path.join(root, "nodes");
const target = path.join(root, "dist", "nodes");

function copyEditorFiles(from, to) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) {
      copyEditorFiles(src, dst);
    } else if (!entry.name.endsWith(".ts")) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}

copyEditorFiles(source, target);
