// Sealing: each record gets its own AES-256-GCM key, wrapped to the server's RSA-OAEP-256 key.
// Only the server can open a sealed record; this tablet cannot, once the page forgets the plaintext.
import { getMeta, putMeta } from "./db.js";

const encoder = new TextEncoder();
const RSA = { name: "RSA-OAEP", hash: "SHA-256" };

function base64(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/** Keep the server's public key (from GET /api/v1/key) for sealing offline. */
export const storeServerKey = ({ kid, jwk }) => putMeta({ name: "key", kid, jwk });

/** The stored public key, ready for WebCrypto, or null before the first connection. */
export async function serverKey() {
  const stored = await getMeta("key");
  if (!stored) return null;
  return { kid: stored.kid, key: await crypto.subtle.importKey("jwk", stored.jwk, RSA, false, ["encrypt"]) };
}

/** The envelope of the sync contract for ``plaintext``; the uuid is bound as additional data. */
export async function seal(plaintext, uuid, { kid, key }) {
  const aesKey = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(uuid) }, aesKey,
    encoder.encode(JSON.stringify(plaintext)));
  const wrapped = await crypto.subtle.encrypt(RSA, key, await crypto.subtle.exportKey("raw", aesKey));
  return { uuid, kid, wrapped_key: base64(wrapped), iv: base64(iv), ciphertext: base64(ciphertext) };
}
