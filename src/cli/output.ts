/**
 * Output paths for the CLI: checked before the long part of a command (can the folder be made, can a
 * file be written in it), and file-system errors as words instead of errno codes.
 */
import { mkdir, mkdtemp, open, readdir, realpath, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, relative, resolve, isAbsolute } from "node:path";
import { tmpdir } from "node:os";
import { UsageError } from "./command.js";

/** What an errno code means, in words (the path is named by the sentence around it). */
const PROBLEMS: Record<string, string> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "the operation is not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "it is a folder, not a file",
  EEXIST: "a file is in the way",
  ENOTEMPTY: "the folder is not empty",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "the path has too many symbolic links (a loop?)",
  EMFILE: "too many files are open",
  ENFILE: "too many files are open",
  EIO: "the disk reported an input/output error",
  EBUSY: "it is in use",
  ETXTBSY: "it is in use",
  EXDEV: "it is on another disk",
  EINVAL: "the path is not valid there",
  EFBIG: "the file is too large for this file system",
};

/** A Node system error's code ("ENOENT"), or undefined for other errors. */
function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/**
 * Node's system-error texts inside `text` ("ENOENT: no such file or directory, open '/x/model.json'")
 * put in words without the code ("no such file or folder"); the rest of `text` is kept.
 */
export function withoutErrnoCodes(text: string): string {
  return text.replace(
    /\b(E[A-Z0-9]{2,}): ([^,;\n]*?)(, [a-z_]+(?: '[^']*'(?: -> '[^']*')?)?)?(?=$|[;\n)]|, )/g,
    // an unknown code counts only with Node's ", syscall 'path'" after it (not "EPOCHS: 3")
    (match, code: string, words: string, call?: string) => PROBLEMS[code] ?? (call === undefined ? match : words),
  );
}

/** A dataset's skipped files with their reasons in words ("could not read the file: permission denied"). */
export function skippedInWords<T extends { reason: string }>(skipped: readonly T[]): T[] {
  return skipped.map((s) => ({ ...s, reason: withoutErrnoCodes(s.reason) }));
}

/** What went wrong with a file-system call, in words: "permission denied", "the disk is full", … */
export function fileProblem(error: unknown): string {
  const code = errorCode(error);
  if (code !== undefined && PROBLEMS[code] !== undefined) return PROBLEMS[code]!;
  return withoutErrnoCodes(error instanceof Error ? error.message : String(error));
}

/** `stat(path)`, or undefined when nothing is there (or a part of the path is a file). */
async function statOrNothing(path: string, option: string, fix: string) {
  try {
    return await stat(path);
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new UsageError(`invalid --${option}: cannot look at ${path} (${fileProblem(error)}); ${fix}`);
  }
}

/**
 * Makes `dir` and its missing parents one level at a time and returns the folders made, outermost
 * first. Not Node's `mkdir(…, {recursive: true})`: that spins forever where mkdir answers ENOENT in a
 * folder that exists (as in /proc). Throws a UsageError naming `--option`, the folder and the problem,
 * after removing what it made.
 */
async function makeFolders(dir: string, option: string, fix: string): Promise<string[]> {
  const missing: string[] = [];
  for (let path = dir; ; path = dirname(path)) {
    const info = await statOrNothing(path, option, fix);
    if (info?.isDirectory()) break;
    if (info !== undefined) {
      const what =
        path === dir ? `${path} is a file, not a folder` : `cannot create ${dir}: ${path} is a file, not a folder`;
      throw new UsageError(`invalid --${option}: ${what}; ${fix}`);
    }
    missing.unshift(path);
    if (dirname(path) === path) break;
  }
  const made: string[] = [];
  for (const path of missing) {
    try {
      await mkdir(path);
      made.push(path);
    } catch (error) {
      if (errorCode(error) === "EEXIST" && (await stat(path).catch(() => undefined))?.isDirectory()) continue;
      await removeFolders(made);
      const problem =
        errorCode(error) === "ENOENT" ? "this file system does not allow new folders there" : fileProblem(error);
      throw new UsageError(`invalid --${option}: cannot create the folder ${path} (${problem}); ${fix}`);
    }
  }
  return made;
}

/** Removes folders `makeFolders` made (innermost first); what cannot be removed stays. */
async function removeFolders(made: readonly string[]): Promise<void> {
  for (const path of [...made].reverse()) await rmdir(path).catch(() => undefined);
}

/**
 * Writes and removes a small file in folder `dir`, inside a folder of its own that `mkdtemp` names
 * (unique without a random number of ours); throws a UsageError saying why `dir` cannot be written.
 */
async function probeWrite(dir: string, option: string, fix: string): Promise<void> {
  let probe: string | undefined;
  try {
    probe = await mkdtemp(join(dir, ".dlcourse-write-check-"));
    await writeFile(join(probe, "check"), "check");
  } catch (error) {
    throw new UsageError(`invalid --${option}: cannot write in ${dir} (${fileProblem(error)}); ${fix}`);
  } finally {
    if (probe) await rm(probe, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Checks that folder `dir` can be made (or is there) and written in: makes it and a small file in it,
 * then removes what it made. Throws a UsageError naming `--option`, the path, the problem and `fix`.
 */
export async function checkWritableFolder(dir: string, option: string, fix: string): Promise<void> {
  const made = await makeFolders(dir, option, fix);
  try {
    await probeWrite(dir, option, fix);
  } finally {
    await removeFolders(made);
  }
}

/** `path` made absolute with its existing part's symbolic links resolved: for comparing locations. */
async function canonical(path: string): Promise<string> {
  const absolute = resolve(path);
  const rest: string[] = [];
  for (let at = absolute; ; at = dirname(at)) {
    const real = await realpath(at).catch(() => undefined);
    if (real !== undefined) return join(real, ...rest);
    if (dirname(at) === at) return absolute;
    rest.unshift(basename(at));
  }
}

/** True when `inner` is `outer` or a path inside it. */
async function isInside(inner: string, outer: string): Promise<boolean> {
  const rel = relative(await canonical(outer), await canonical(inner));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** True when `path` ends in .zip (any case): the model goes to one zip file instead of a folder. */
export function isZipPath(path: string): boolean {
  return path.toLowerCase().endsWith(".zip");
}

/** The first bytes of file `path` (fewer when it is shorter). */
async function firstBytes(path: string, count: number): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const buffer = new Uint8Array(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const MODEL_FIX = "give a path in a folder you can write, e.g. --out models/pets";

/**
 * `dlcourse train --out`, checked before training: a new path (its folders can be made and written
 * in), an empty folder, a model folder (holding model.json; its model.json and weights.bin are
 * replaced), or, for a path ending .zip, a new file or a zip (replaced). Not inside `data` (the
 * images). Leaves nothing behind; throws a UsageError with one sentence saying what to do.
 */
export async function checkModelOut(out: string, data?: string): Promise<void> {
  if (out.trim() === "") throw new UsageError(`invalid --out: "${out}"; ${MODEL_FIX}`);
  if (data !== undefined && (await isInside(out, data)))
    throw new UsageError(
      `invalid --out: ${out} is inside the --data folder ${data}, among the images; give a path outside it, e.g. --out models/pets`,
    );
  const info = await statOrNothing(out, "out", MODEL_FIX);
  if (isZipPath(out)) {
    if (info?.isDirectory())
      throw new UsageError(
        `invalid --out: ${out} is a folder, and an --out ending in .zip is written as one zip file; give another path, or leave out .zip to write the model into a folder`,
      );
    if (info !== undefined && !info.isFile())
      throw new UsageError(`invalid --out: ${out} is not a regular file; ${MODEL_FIX}`);
    if (info !== undefined && info.size > 0) {
      const head = await firstBytes(out, 4).catch((error: unknown) => {
        throw new UsageError(`invalid --out: cannot read ${out} (${fileProblem(error)}); ${MODEL_FIX}`);
      });
      if (!(head[0] === 0x50 && head[1] === 0x4b))
        throw new UsageError(
          `invalid --out: ${out} is a file that is not a zip, and training would overwrite it; remove it or give another path`,
        );
    }
    await checkWritableFolder(dirname(out), "out", MODEL_FIX);
    return;
  }
  if (info !== undefined && !info.isDirectory())
    throw new UsageError(
      `invalid --out: ${out} is a file, and the model is written as a folder (model.json + weights.bin); remove the file, give another path, or end --out with .zip to write one zip file`,
    );
  if (info !== undefined) {
    const names = await readdir(out).catch((error: unknown) => {
      throw new UsageError(`invalid --out: cannot list ${out} (${fileProblem(error)}); ${MODEL_FIX}`);
    });
    if (!names.includes("model.json") && names.some((name) => !name.startsWith(".")))
      throw new UsageError(
        `invalid --out: ${out} is a folder that holds other files and no model.json; give a new or empty folder, or a model folder to replace, e.g. --out models/pets`,
      );
  }
  await checkWritableFolder(out, "out", MODEL_FIX);
}

/**
 * `dlcourse make-dataset --out`, checked before drawing: a folder (new or existing; files of the same
 * names are replaced) that can be made and written in. Leaves nothing behind.
 */
export async function checkDatasetOut(out: string): Promise<void> {
  const fix = "give a path in a folder you can write, e.g. --out data/pets";
  if (out.trim() === "") throw new UsageError(`invalid --out: "${out}"; ${fix}`);
  const info = await statOrNothing(out, "out", fix);
  if (info !== undefined && !info.isDirectory())
    throw new UsageError(
      `invalid --out: ${out} is a file, and the images are written into a folder; remove the file or give another path, e.g. --out data/pets`,
    );
  await checkWritableFolder(out, "out", fix);
}

/**
 * Where to save a model when `out` cannot be written after all (a full disk, a folder removed or
 * replaced since the check): next to it, then in the OS temp folder. Same kind (folder or .zip) as `out`;
 * `stamp` keeps them apart.
 */
export function fallbackPaths(out: string, stamp = new Date()): string[] {
  const time = stamp.toISOString().replace(/\D/g, "").slice(0, 14);
  const zip = isZipPath(out);
  const name = basename(zip ? out.slice(0, -extname(out).length) : out.replace(/[\\/]+$/, "")) || "model";
  const file = `${name}-unsaved-${time}${zip ? ".zip" : ""}`;
  return [join(dirname(out.replace(/[\\/]+$/, "")), file), join(tmpdir(), `dlcourse-${file}`)];
}
