// Enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to an error summary so screen-reader users hear what to fix.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  // A wide screen shows the menus' links through ::details-content (site.css); a browser without it
  // would keep them folded behind a button that is hidden there, so open them.
  if (!CSS.supports("selector(::details-content)") && matchMedia("(min-width: 50.01rem)").matches) {
    for (const menu of document.querySelectorAll(".site-menu")) menu.open = true;
  }
  // The language switcher is left alone: it changes the page only through its
  // button, never on `change` (arrow keys fire it on each step; WCAG 3.2.2).
  // Copy buttons beside calendar addresses. Without JavaScript (or without the
  // clipboard, outside https) they stay hidden and the address can be selected.
  if (navigator.clipboard) {
    for (const button of document.querySelectorAll(".copy-button")) {
      const input = document.getElementById(button.dataset.copyTarget);
      const status = button.closest(".feed-links")?.querySelector(".copy-status");
      if (!input) continue;
      button.hidden = false;
      button.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(input.value);
          if (status) status.textContent = status.dataset.copied;
        } catch {
          input.select();
        }
      });
    }
  }
  // Clicking a calendar address selects all of it, ready to copy by hand.
  for (const input of document.querySelectorAll(".feed-url")) {
    input.addEventListener("focus", () => input.select());
  }
});
