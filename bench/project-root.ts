/**
 * The repository's root, whether a bench runs compiled (dist/bench/) or from source (bench/).
 */
import * as path from "node:path";

export const PROJECT_ROOT = path.resolve(__dirname, path.basename(path.dirname(__dirname)) === "dist" ? "../.." : "..");
