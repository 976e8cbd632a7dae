// What a screen reader should hear without moving: a new result, an answer
// that cannot be used. One polite live region (#announce, in index.html,
// read out but not shown); the text is set anew so a repeat is read again.

let timer = null;

/** Says `text` through the live region, after `delay` ms (a later call replaces an earlier one). */
export function announce(text, delay = 0) {
  clearTimeout(timer);
  timer = setTimeout(() => {
    const el = document.getElementById('announce');
    if (!el) return;
    el.textContent = '';
    // The region emptied and filled in two steps, so the same words twice are read twice.
    setTimeout(() => {
      el.textContent = text;
    }, 50);
  }, delay);
}
