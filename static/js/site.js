// Enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to an error summary so screen-reader users hear what to fix.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  // Submit the language switcher as soon as a language is picked.
  const switcher = document.querySelector(".language-switcher select");
  if (switcher) switcher.addEventListener("change", () => switcher.form.submit());
});
