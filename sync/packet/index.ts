// Enrollment packet format, shared by the kiosk (sealing) and the registry (opening). Pure node:crypto.
export { sealPacket, openPacket, encryptToRegistry, decryptFromRegistry, type SealPacketInput, type SealedPacket, type OpenedPacket } from './seal.js';
export { canonicalJson } from './canonical-json.js';
export { generateRegistryKeyPair, publicKeyFingerprint, publicKeyOf, rawPublicKeyOf, x25519PrivateKeyFromPem, type KeyInput, type RegistryKeyPair } from './keys.js';
export { PacketDecryptFailedError, PacketMalformedError, PacketPartHashMismatchError, PacketSignatureInvalidError } from './errors.js';
export { FINGER_MEDIA, MANIFEST_VERSION, MANIFEST_VERSIONS, PACKET_FORMAT, PACKET_VERSION, type PacketManifest, type PacketManifestInput, type PacketPart, type PacketPartEntry } from './format.js';
