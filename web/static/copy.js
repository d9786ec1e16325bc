// The copy buttons of the page that shows a login: a button names the element whose text it
// copies (data-copy). The clipboard is cleared after 45 seconds if it still holds what was
// copied; where the browser does not let the page read the clipboard, it is cleared anyway.
// Served from the binary like everything else: the Content-Security-Policy allows no inline
// script and nothing from elsewhere.
'use strict';

(function () {
  const clearAfterMs = 45 * 1000;

  function clearLater(copied) {
    window.setTimeout(async function () {
      try {
        if ((await navigator.clipboard.readText()) !== copied) return; // something else was copied since
      } catch (notAllowed) {
        // Reading is not allowed here: clear it all the same.
      }
      try {
        await navigator.clipboard.writeText('');
      } catch (notAllowed) {
        // The page lost the focus or the permission: the browser allows no more.
      }
    }, clearAfterMs);
  }

  document.addEventListener('click', async function (event) {
    const button = event.target.closest('button[data-copy]');
    if (!button || !navigator.clipboard) return;
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    const text = source.textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch (notAllowed) {
      return;
    }
    const note = document.getElementById('copied');
    if (note) note.hidden = false;
    clearLater(text);
  });
})();
