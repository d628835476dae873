import CLibXML2

/// Turns the names libxml2 reports (element and attribute local names, namespace URIs) into small
/// integer tokens and cached Strings, without making a String per name per element.
///
/// libxml2 interns every name it parses in the parser's dictionary (`xmlDict`): the same name
/// arrives as the same pointer for the whole document. So a name is compared as bytes against the
/// handler's vocabulary once, the first time its pointer is seen, and from then on it is one lookup
/// in a small open-addressing table keyed by the pointer. A pointer is cached only when
/// `xmlDictOwns` confirms it lives in the dictionary (so its bytes never change while the parser
/// lives); any other pointer is compared as bytes every time, which is slower but as correct.
final class XMLNameTable {
    /// The token of a name that is not in the vocabulary.
    static let unknown = -1

    private let dictionary: xmlDictPtr?
    private let tokens: [String: Int]
    /// Open addressing, `mask + 1` slots, plus one scratch slot at `mask + 1` (see `slot`). Raw
    /// buffers rather than arrays: a lookup runs for every name of every element, and array
    /// accesses on a class property cost a retain and an exclusivity check each.
    private var keys: UnsafeMutablePointer<UnsafeRawPointer?>
    private var tokenOf: UnsafeMutablePointer<Int>
    private var stringOf: UnsafeMutablePointer<String>
    private var mask: Int
    private var used = 0
    /// Past this many distinct names the table stops caching (a document with thousands of
    /// distinct names is rare; it stays correct, only slower).
    private static let maxCached = 4096

    init(vocabulary: [String], dictionary: xmlDictPtr?) {
        self.dictionary = dictionary
        var tokens: [String: Int] = [:]
        for (index, name) in vocabulary.enumerated() where tokens[name] == nil { tokens[name] = index }
        self.tokens = tokens
        mask = 255
        (keys, tokenOf, stringOf) = Self.allocate(slots: mask + 2)
    }

    deinit { Self.free(keys, tokenOf, stringOf, slots: mask + 2) }

    private static func allocate(slots: Int) -> (UnsafeMutablePointer<UnsafeRawPointer?>, UnsafeMutablePointer<Int>, UnsafeMutablePointer<String>) {
        let keys = UnsafeMutablePointer<UnsafeRawPointer?>.allocate(capacity: slots)
        keys.initialize(repeating: nil, count: slots)
        let tokens = UnsafeMutablePointer<Int>.allocate(capacity: slots)
        tokens.initialize(repeating: unknown, count: slots)
        let strings = UnsafeMutablePointer<String>.allocate(capacity: slots)
        strings.initialize(repeating: "", count: slots)
        return (keys, tokens, strings)
    }

    private static func free(_ keys: UnsafeMutablePointer<UnsafeRawPointer?>, _ tokens: UnsafeMutablePointer<Int>,
                             _ strings: UnsafeMutablePointer<String>, slots: Int) {
        keys.deallocate()
        tokens.deallocate()
        strings.deinitialize(count: slots)
        strings.deallocate()
    }

    /// The vocabulary index of `name`, or `unknown`.
    @inline(__always)
    func token(_ name: UnsafePointer<xmlChar>) -> Int {
        let index = slot(name)   // first: filling a slot may grow the table and move `tokenOf`
        return tokenOf[index]
    }

    /// `name` as a String (one String per distinct name, shared by every element that uses it).
    @inline(__always)
    func string(_ name: UnsafePointer<xmlChar>) -> String {
        let index = slot(name)   // first: filling a slot may grow the table and move `stringOf`
        return stringOf[index]
    }

    /// The table slot of `name`, filled on first sight. An uncached name (not dictionary-owned, or
    /// the table full) is decoded into the scratch slot past the end, overwritten by the next one.
    @inline(__always)
    private func slot(_ name: UnsafePointer<xmlChar>) -> Int {
        let key = UnsafeRawPointer(name)
        var index = Self.hash(key) & mask
        while true {
            let entry = keys[index]
            if entry == key { return index }
            if entry == nil { return fill(name, at: index) }
            index = (index + 1) & mask
        }
    }

    @inline(__always)
    private static func hash(_ key: UnsafeRawPointer) -> Int {
        let bits = UInt(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: bits >> 40)
    }

    private func fill(_ name: UnsafePointer<xmlChar>, at index: Int) -> Int {
        let string = String(cString: name)
        let token = tokens[string] ?? Self.unknown
        let owned = dictionary.map { xmlDictOwns($0, name) == 1 } ?? false
        guard owned, used < Self.maxCached else {
            // Not cacheable: handed over through the scratch slot, which no lookup probes.
            tokenOf[mask + 1] = token
            stringOf[mask + 1] = string
            return mask + 1
        }
        keys[index] = UnsafeRawPointer(name)
        tokenOf[index] = token
        stringOf[index] = string
        used += 1
        if used * 2 > mask + 1 { grow() }
        return slot(name)
    }

    /// Doubles the table, keeping it at most half full so probes stay short.
    private func grow() {
        let (oldKeys, oldTokens, oldStrings, oldSlots) = (keys, tokenOf, stringOf, mask + 1)
        mask = oldSlots * 2 - 1
        (keys, tokenOf, stringOf) = Self.allocate(slots: mask + 2)
        for old in 0..<oldSlots {
            guard let key = oldKeys[old] else { continue }
            var index = Self.hash(key) & mask
            while keys[index] != nil { index = (index + 1) & mask }
            keys[index] = key
            tokenOf[index] = oldTokens[old]
            stringOf[index] = oldStrings[old]
        }
        Self.free(oldKeys, oldTokens, oldStrings, slots: oldSlots + 1)
    }
}
