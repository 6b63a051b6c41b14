// Typed packet errors (shared by the kiosk and the registry).
import { KioskError } from '../../main/contract/errors.js';

export class PacketSignatureInvalidError extends KioskError {
  override name = 'PacketSignatureInvalidError';
  constructor(reason: string) {
    super('PACKET_SIGNATURE_INVALID', `Packet signature invalid: ${reason}`, { details: { reason } });
  }
}

export class PacketPartHashMismatchError extends KioskError {
  override name = 'PacketPartHashMismatchError';
  constructor(part: string) {
    super('PACKET_PART_HASH_MISMATCH', `Packet part ${part} does not match its manifest hash`, { details: { part } });
  }
}

export class PacketDecryptFailedError extends KioskError {
  override name = 'PacketDecryptFailedError';
  constructor(reason: string) {
    super('PACKET_DECRYPT_FAILED', `Packet could not be decrypted: ${reason}`, { details: { reason } });
  }
}

export class PacketMalformedError extends KioskError {
  override name = 'PacketMalformedError';
  constructor(reason: string) {
    super('PACKET_MALFORMED', `Packet malformed: ${reason}`, { details: { reason } });
  }
}
