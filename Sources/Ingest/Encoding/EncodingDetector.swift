/// Guesses a file's encoding from its first bytes: a BOM first, then which decoders accept the sample.
///
/// EUC-JP is tried before CP932 because most EUC-JP text also decodes (wrongly) as half-width
/// katakana in CP932, whereas CP932 kanji lead bytes 0x81–0x9F are not valid EUC-JP.
public enum EncodingDetector {
    public static func detect(_ sample: [UInt8], complete: Bool) -> TextEncoding? {
        if sample.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8 }
        if sample.starts(with: [0xFF, 0xFE]) || sample.starts(with: [0xFE, 0xFF]) { return .utf16 }
        if UTF8Validator.isValid(sample, allowTruncatedEnd: !complete) { return .utf8 }
        for candidate in [TextEncoding.eucJP, .shiftJIS] {
            if let transcoder = try? IconvTranscoder(from: candidate),
               transcoder.accepts(sample, allowTruncatedEnd: !complete) {
                return candidate
            }
        }
        return nil
    }
}
