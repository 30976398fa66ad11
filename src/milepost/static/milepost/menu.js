// The main menu on a phone: folded behind the "Menu" button. Without this script the menu stays
// unfolded (the button is hidden), so every link is reachable. Loaded from a file: the
// Content-Security-Policy allows no inline script.
document.documentElement.classList.add("js-menu");
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".menu-toggle");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  });
});
