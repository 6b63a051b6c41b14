// AWS Signature Version 4 against the example calculations published in the Amazon S3 API reference ("Signature
// calculations for the Authorization header: transferring payload in a single chunk", examples with the documented
// example credentials AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, 2013-05-24, us-east-1).
import { describe, expect, it } from 'vitest';
import { amzDateOf, authorization, canonicalRequest, EMPTY_SHA256, stringToSign, uriEncode } from '../../../sync/registry/store/s3/sigv4.js';

const creds = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const amzDate = '20130524T000000Z';

describe('SigV4 (AWS documented examples)', () => {
  it('GET Object with a Range header: canonical request, string to sign and signature', () => {
    const input = {
      method: 'GET',
      path: '/test.txt',
      headers: { Host: 'examplebucket.s3.amazonaws.com', Range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY_SHA256, 'x-amz-date': amzDate },
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      amzDate,
    };
    expect(canonicalRequest(input).text).toBe(
      ['GET', '/test.txt', '', 'host:examplebucket.s3.amazonaws.com', 'range:bytes=0-9', `x-amz-content-sha256:${EMPTY_SHA256}`, 'x-amz-date:20130524T000000Z', '', 'host;range;x-amz-content-sha256;x-amz-date', EMPTY_SHA256].join('\n'),
    );
    expect(stringToSign(input)).toBe(['AWS4-HMAC-SHA256', amzDate, '20130524/us-east-1/s3/aws4_request', '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972'].join('\n'));
    expect(authorization(input, creds).authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('GET Bucket (list objects) with query parameters sorted and encoded', () => {
    const input = {
      method: 'GET',
      path: '/',
      query: { prefix: 'J', 'max-keys': '2' },
      headers: { host: 'examplebucket.s3.amazonaws.com', 'x-amz-content-sha256': EMPTY_SHA256, 'x-amz-date': amzDate },
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      amzDate,
    };
    expect(canonicalRequest(input).text.split('\n')[2]).toBe('max-keys=2&prefix=J');
    expect(authorization(input, creds).signature).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
  });

  it('encodes like SigV4 wants and formats the date', () => {
    expect(uriEncode('a b/c$d~e', true)).toBe('a%20b/c%24d~e');
    expect(uriEncode('K:1/é')).toBe('K%3A1%2F%C3%A9');
    expect(amzDateOf(Date.UTC(2013, 4, 24, 0, 0, 0, 123))).toBe(amzDate);
  });
});
