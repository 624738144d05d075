// Installs a function's package.json dependencies for Lambda's platform into TARGET/node_modules:
// `npm ci` when a lock file exists (exact versions), else `npm install`; never devDependencies.
// --os/--cpu choose Lambda's prebuilt optional packages (esbuild, sharp, ...); packages that
// compile native code at install time still compile for this machine.
// Usage: node install.mjs MANIFEST_DIR TARGET CPU   (CPU: x64 or arm64)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const [manifestDir, target, cpu] = process.argv.slice(2);
const locks = ["package-lock.json", "npm-shrinkwrap.json"].filter((name) =>
  fs.existsSync(path.join(manifestDir, name)),
);
fs.mkdirSync(target, { recursive: true });
for (const name of ["package.json", ...locks]) {
  fs.copyFileSync(path.join(manifestDir, name), path.join(target, name));
}
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const args = [
  ...(locks.length ? ["ci"] : ["install", "--no-package-lock"]),
  "--omit=dev", "--no-audit", "--no-fund", "--os=linux", `--cpu=${cpu}`,
];
const run = spawnSync(npm, args, { cwd: target, stdio: "inherit", shell: process.platform === "win32" });
// Only node_modules ships from here: package.json comes with the code folder.
for (const name of ["package.json", ...locks]) fs.rmSync(path.join(target, name), { force: true });
if (run.error) {
  console.error(`npm could not be started: ${run.error.message}`);
  process.exit(1);
}
process.exit(run.status ?? 1);
