/**
 * Hands bytes built in the page to the browser's download (serve mode) or Electron's save dialog
 * (desktop): the page never names a path on the machine that runs the engine.
 */
export function saveFile(name: string, mediaType: string, content: BlobPart): void {
  const url = URL.createObjectURL(new Blob([content], { type: mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once click() returns; the next task may release the URL.
  setTimeout(() => URL.revokeObjectURL(url));
}
