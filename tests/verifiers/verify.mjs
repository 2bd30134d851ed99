// Verifies one Standard Webhooks signature with the reference npm library, as a receiver would.
// Input: one JSON object on stdin {id, timestamp, signature, body, secret}; body is base64 of the exact bytes.
// Exit 0 only when Webhook(secret).verify passes; 1 (with the library's message) otherwise.
import { Webhook } from "standardwebhooks";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { id, timestamp, signature, body, secret } = JSON.parse(input);
const payload = Buffer.from(body, "base64").toString("utf8");
try {
  new Webhook(secret).verify(payload, {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signature,
  }, { jsonParse: false }); // bitbucket-post bodies are form-encoded, not JSON; receivers of that format pass this too
  process.exit(0);
} catch (err) {
  console.error(`verification failed: ${err.message}`);
  process.exit(1);
}
