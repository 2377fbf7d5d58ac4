// A one-click way to another tfjs backend: reloads the page with `?backend=NAME` in its address, the
// choice courseBackend (./backend.js) reads. The learner's edits are kept (the notebook stores them).
export function switchBackendButton(
  name,
  label = `Switch to ${name === "wasm" ? "WebAssembly" : name} and train again`,
) {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.dataset.switchBackend = name;
  button.onclick = () => {
    const url = new URL(location.href);
    url.searchParams.set("backend", name);
    location.assign(url);
  };
  return button;
}
