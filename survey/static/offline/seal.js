// Sealing: each record gets its own AES-256-GCM key that only the server can recover.
// ECDH-ES-P256: a new P-256 key pair per record, never stored; ECDH with the server's key and
// HKDF-SHA256 give the AES key. The page forgets the private half at once, so this tablet
// cannot open what it sealed. A tablet still holding the old RSA key seals with RSA-OAEP-256.
import { getMeta, putMeta } from "./db.js";

const encoder = new TextEncoder();
export const ECDH_ALG = "ECDH-ES-P256";
const RSA_ALG = "RSA-OAEP-256";
const RSA = { name: "RSA-OAEP", hash: "SHA-256" };
const ECDH = { name: "ECDH", namedCurve: "P-256" };
const HKDF_INFO = encoder.encode("survey sealed record ECDH-ES-P256");

function base64(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/** The key to seal to from GET /api/v1/key: the ECDH one where the server lists it. */
export function chooseKey({ kid, alg = RSA_ALG, jwk, keys = [] }) {
  const ecdh = keys.find((key) => key.alg === ECDH_ALG);
  return ecdh ? { kid: ecdh.kid, alg: ECDH_ALG, jwk: ecdh.jwk } : { kid, alg, jwk };
}

/** Keep the server's public key for sealing offline. */
export const storeServerKey = (published) => putMeta({ name: "key", ...chooseKey(published) });

/** A published key ready for WebCrypto: ``{kid, alg, key}``. */
export async function importServerKey({ kid, alg, jwk }) {
  const key = alg === ECDH_ALG
    ? await crypto.subtle.importKey("jwk", jwk, ECDH, false, [])
    : await crypto.subtle.importKey("jwk", jwk, RSA, false, ["encrypt"]);
  return { kid, alg: alg === ECDH_ALG ? ECDH_ALG : RSA_ALG, key };
}

/** The stored public key, ready for WebCrypto, or null before the first connection. */
export async function serverKey() {
  const stored = await getMeta("key");
  return stored ? importServerKey(stored) : null;
}

async function encrypt(plaintext, uuid, aesKey) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(uuid) }, aesKey,
    encoder.encode(JSON.stringify(plaintext)));
  return { iv: base64(iv), ciphertext: base64(ciphertext) };
}

async function sealEcdh(plaintext, uuid, { kid, key }) {
  const ephemeral = await crypto.subtle.generateKey(ECDH, false, ["deriveBits"]);
  const epk = new Uint8Array(await crypto.subtle.exportKey("raw", ephemeral.publicKey));
  const secret = await crypto.subtle.deriveBits({ name: "ECDH", public: key }, ephemeral.privateKey, 256);
  const hkdf = await crypto.subtle.importKey("raw", secret, "HKDF", false, ["deriveKey"]);
  const aesKey = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: epk, info: HKDF_INFO }, hkdf,
    { name: "AES-GCM", length: 256 }, false, ["encrypt"]);
  return { uuid, alg: ECDH_ALG, kid, epk: base64(epk), ...(await encrypt(plaintext, uuid, aesKey)) };
}

async function sealRsa(plaintext, uuid, { kid, key }) {
  const aesKey = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"]);
  const sealed = await encrypt(plaintext, uuid, aesKey);
  const wrapped = await crypto.subtle.encrypt(RSA, key, await crypto.subtle.exportKey("raw", aesKey));
  return { uuid, kid, wrapped_key: base64(wrapped), ...sealed };
}

/** The envelope of the sync contract for ``plaintext``; the uuid is bound as additional data. */
export function seal(plaintext, uuid, serverKey) {
  return (serverKey.alg === ECDH_ALG ? sealEcdh : sealRsa)(plaintext, uuid, serverKey);
}
