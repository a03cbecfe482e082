async function refresh() {
  const hello = await (await fetch("/api/hello")).json();
  document.getElementById("greeting").textContent = hello.message;
  const notes = await (await fetch("/api/notes")).json();
  document.getElementById("notes").innerHTML = notes.map((n) => `<li>${n.body}</li>`).join("");
}
document.getElementById("new-note").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = event.target.elements.body;
  await fetch("/api/notes", { method: "POST", body: input.value });
  input.value = "";
  refresh();
});
refresh();
