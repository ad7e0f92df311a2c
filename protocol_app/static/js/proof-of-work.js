// The public forms' proof of work: the ALTCHA widget (loaded before this module) computes
// PBKDF2 in a worker the app serves itself; the worker's address comes from the page.
const widget = document.querySelector("altcha-widget[data-worker]");
if (widget && globalThis.$altcha) {
  const url = widget.dataset.worker;
  for (const algorithm of ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"]) {
    globalThis.$altcha.algorithms.set(algorithm, () => new Worker(url));
  }
}
