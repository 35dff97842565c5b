// The day sheet's Print button. It needs JavaScript, so it stays hidden without it
// (the browser's own Print menu prints the same page: see the print styles).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
