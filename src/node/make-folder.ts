import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Makes folder `path` and its missing parents. Not `mkdir(path, {recursive: true})`: Node's spins forever
 * where mkdir answers ENOENT inside a folder that exists (as in /proc); this tries each level once.
 */
export async function makeFolder(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return; // a file there fails on the write that follows, naming it
    if (code !== "ENOENT" || dirname(path) === path) throw error;
    await makeFolder(dirname(path));
    await mkdir(path).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== "EEXIST") throw again;
    });
  }
}
