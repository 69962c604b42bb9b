// Shared by the demo pages: the emulator's publishable key, served by the demo
// server as /emulator.json (make demo). A real app would hard-code its own key.
export async function publishableKey() {
  const cfg = await (await fetch('/emulator.json')).json();
  return cfg.publishable_key;
}
export async function inboxUrl() {
  const cfg = await (await fetch('/emulator.json')).json();
  return cfg.inbox;
}
