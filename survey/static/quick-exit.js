// Quick exit: blank the screen at once, then leave without a history entry.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.quick-exit");
  if (!link) return;
  event.preventDefault();
  document.body.replaceChildren();
  window.location.replace(link.href);
});
