// Verifies one GitHub webhook signature (X-Hub-Signature-256) with @octokit/webhooks-methods, as a receiver would.
// Input: one JSON object on stdin {signature, body, secret}; body is base64 of the exact bytes.
// Exit 0 only when verify() passes; 1 otherwise.
import { verify } from "@octokit/webhooks-methods";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { signature, body, secret } = JSON.parse(input);
const payload = Buffer.from(body, "base64").toString("utf8");
try {
  if (await verify(secret, payload, signature)) process.exit(0);
  console.error("verification failed: signature does not match");
} catch (err) {
  console.error(`verification failed: ${err.message}`);
}
process.exit(1);
