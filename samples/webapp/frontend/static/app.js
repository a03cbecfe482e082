async function refresh() {
  const hello = await (await fetch("/api/hello")).json();
  document.getElementById("greeting").textContent = hello.message;
  const notes = await (await fetch("/api/notes")).json();
  // text, never markup: a note cannot inject HTML into the page
  const items = notes.map((n) => {
    const item = document.createElement("li");
    item.textContent = n.body;
    return item;
  });
  document.getElementById("notes").replaceChildren(...items);
}
document.getElementById("new-note").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = event.target.elements.body;
  await fetch("/api/notes", { method: "POST", body: input.value });
  input.value = "";
  refresh();
});
refresh();
