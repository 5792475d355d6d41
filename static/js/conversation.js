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

// Only swaps in the transcript: the trainer panel refreshing must not move the page.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.target.closest?.("#transcript") || event.target.id === "transcript") scrollTranscript();
});
document.addEventListener("htmx:sseMessage", scrollTranscript);
