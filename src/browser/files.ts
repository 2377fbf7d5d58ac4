/**
 * Loader entries from what a learner gives the page: files or a folder picked with
 * `<input type="file" webkitdirectory>`, or files and folders dropped on it.
 * Pass `topLevelFolders(entries.map((e) => e.file))` (from ../data/files.js) as `folders`.
 */
import type { FileEntry } from "../data/load.js";

function entryOf(file: File, path: string): FileEntry {
  return { file: path, read: async () => new Uint8Array(await file.arrayBuffer()) };
}

/**
 * One entry per picked file. A folder pick gives `webkitRelativePath` "pets/cat/x.png": the picked
 * folder is the dataset root, so it is dropped ("cat/x.png"); plain picks use the file name.
 */
export function entriesFromFileList(files: FileList | readonly File[]): FileEntry[] {
  return Array.from(files, (file) => {
    const relative = file.webkitRelativePath;
    const path = relative ? relative.split("/").slice(1).join("/") || file.name : file.name;
    return entryOf(file, path);
  });
}

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      // readEntries hands back a batch at a time (100 in Chromium) and an empty one at the end
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/**
 * Entries for everything dropped, folders walked. Dropping one folder makes it the dataset root
 * ("pets/cat/x.png" → "cat/x.png"); dropping several items (cat/ and dog/) keeps their names.
 * Call it inside the drop handler, before any await: the item list is only readable during the event
 * (this function takes what it needs from it synchronously).
 */
export async function entriesFromDataTransfer(items: DataTransferItemList): Promise<FileEntry[]> {
  const roots: FileSystemEntry[] = [];
  const out: FileEntry[] = [];
  for (const item of Array.from(items)) {
    if (item.kind !== "file") continue;
    const entry = item.webkitGetAsEntry();
    if (entry !== null) roots.push(entry);
    else {
      // no file-system entry (a DataTransfer made in script, an old browser): the file itself
      const file = item.getAsFile();
      if (file !== null) out.push(entryOf(file, file.name));
    }
  }
  const single = roots.length === 1 && roots[0]!.isDirectory && out.length === 0;
  const walk = async (entry: FileSystemEntry, path: string): Promise<void> => {
    if (entry.isFile) {
      out.push(entryOf(await fileOf(entry as FileSystemFileEntry), path));
    } else if (entry.isDirectory) {
      const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
      for (const child of children) await walk(child, path === "" ? child.name : `${path}/${child.name}`);
    }
  };
  for (const root of roots) await walk(root, single ? "" : root.name);
  return out;
}
