// Enter sends the message (Shift+Enter for a new line); keep the newest turn in view.
document.addEventListener("keydown", (event) => {
  const box = event.target;
  if (box.id !== "say-text" || event.key !== "Enter" || event.shiftKey || event.isComposing) return;
  event.preventDefault();
  box.form.requestSubmit();
});

function scrollTranscript() {
  const transcript = document.getElementById("transcript");
  if (transcript) transcript.lastElementChild?.scrollIntoView({ block: "end", behavior: "smooth" });
}

document.addEventListener("htmx:afterSwap", scrollTranscript);
document.addEventListener("htmx:sseMessage", scrollTranscript);
