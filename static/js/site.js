// Enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to an error summary so screen-reader users hear what to fix.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  // Submit the language switcher as soon as a language is picked.
  const switcher = document.querySelector(".language-switcher select");
  if (switcher) switcher.addEventListener("change", () => switcher.form.submit());
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
