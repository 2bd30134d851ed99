// Copy buttons: <button data-copy="element-id"> copies an input's value or a <pre>'s text. Clipboard API where the page is a secure context,
// select-and-execCommand otherwise (plain http on a LAN address is not a secure context).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  if (!field) return;
  try {
    await navigator.clipboard.writeText("value" in field ? field.value : field.textContent);
  } catch {
    if ("select" in field) field.select();
    else window.getSelection().selectAllChildren(field);
    document.execCommand("copy");
  }
  const label = button.textContent;
  button.textContent = "Copied";
  setTimeout(() => { button.textContent = label; }, 1500);
});

// Confirmations: <form data-confirm="question">. Here rather than in an onsubmit attribute because
// the Content-Security-Policy allows no inline script.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !confirm(form.dataset.confirm)) event.preventDefault();
});
