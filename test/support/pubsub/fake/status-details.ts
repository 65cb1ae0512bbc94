// Encodes google.rpc.Status { code, message, details: [Any(google.rpc.ErrorInfo)] } by hand: the
// few protobuf wire rules it needs are simpler than loading the google.rpc protos for one message.

export interface ErrorInfoStatus {
  code: number;
  message: string;
  reason: string;
  domain: string;
  metadata: Record<string, string>;
}

const ERROR_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.ErrorInfo';

export function encodeErrorInfoStatus(info: ErrorInfoStatus): Buffer {
  const errorInfo = Buffer.concat([
    lengthDelimited(1, Buffer.from(info.reason)),
    lengthDelimited(2, Buffer.from(info.domain)),
    ...Object.entries(info.metadata).map(([key, value]) =>
      lengthDelimited(
        3,
        Buffer.concat([
          lengthDelimited(1, Buffer.from(key)),
          lengthDelimited(2, Buffer.from(value)),
        ]),
      ),
    ),
  ]);
  const any = Buffer.concat([
    lengthDelimited(1, Buffer.from(ERROR_INFO_TYPE_URL)),
    lengthDelimited(2, errorInfo),
  ]);
  return Buffer.concat([
    Buffer.concat([varint((1 << 3) | 0), varint(info.code)]),
    ...(info.message ? [lengthDelimited(2, Buffer.from(info.message))] : []),
    lengthDelimited(3, any),
  ]);
}

function lengthDelimited(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
