/**
 * Saves `blob` as a download named `filename` (the browser's usual "save file"): what the cleaner's
 * edits and an exported model use. Browser only.
 */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // the download has taken its copy once the click's task ends
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
