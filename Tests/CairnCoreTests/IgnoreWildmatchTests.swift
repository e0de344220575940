@testable import CairnCore
import Testing

/// git's wildmatch cases (pattern, text, matches with WM_PATHNAME).
@Suite struct IgnoreWildmatchTests {
    static let pathnameCases: [(String, String, Bool)] = [
        ("foo", "foo", true), ("foo", "bar", false), ("", "", true), ("???", "foo", true), ("??", "foo", false),
        ("*", "foo", true), ("f*", "foo", true), ("*f", "foo", false), ("*foo*", "foo", true),
        ("*ob*a*r*", "foobar", true), ("*ab", "aaaaaaabababab", true), ("foo\\*", "foo*", true),
        ("foo\\*bar", "foobar", false), ("f\\\\oo", "f\\oo", true), ("*[al]?", "ball", true),
        ("[ten]", "ten", false), ("**[!te]", "ten", true), ("**[!ten]", "ten", false), ("t[a-g]n", "ten", true),
        ("t[!a-g]n", "ten", false), ("t[!a-g]n", "ton", true), ("t[^a-g]n", "ton", true),
        ("a[]]b", "a]b", true), ("a[]-]b", "a-b", true), ("a[]-]b", "a]b", true), ("a[]-]b", "aab", false),
        ("a[]a-]b", "aab", true), ("]", "]", true), ("foo*bar", "foo/baz/bar", false),
        ("foo**bar", "foo/baz/bar", false), ("foo/*/bar", "foo/baz/bar", true), ("foo/**/bar", "foo/baz/bar", true),
        ("foo/**/bar", "foo/b/a/z/bar", true), ("foo/**/**/bar", "foo/b/a/z/bar", true),
        ("foo/**/bar", "foo/bar", true), ("foo/**/**/bar", "foo/bar", true), ("foo?bar", "foo/bar", false),
        ("foo[/]bar", "foo/bar", false), ("foo[^a-z]bar", "foo/bar", false),
        ("f[^eiu][^eiu][^eiu][^eiu][^eiu]r", "foo-bar", true), ("**/foo", "foo", true),
        ("**/foo", "XXX/foo", true), ("**/foo", "bar/baz/foo", true), ("*/foo", "bar/baz/foo", false),
        ("**/bar*", "foo/bar/baz", false), ("**/bar/*", "deep/foo/bar/baz", true),
        ("**/bar/*", "deep/foo/bar/baz/", false), ("**/bar/**", "deep/foo/bar/baz/", true),
        ("**/bar/*", "deep/foo/bar", false), ("**/bar/**", "deep/foo/bar/", true),
        ("*/bar/**", "foo/bar/baz/x", true), ("*/bar/**", "deep/foo/bar/baz/x", false),
        ("**/bar/*/*", "deep/foo/bar/baz/x", true), ("a/**", "a", false), ("a/**", "a/b/c", true),
        ("[[:alpha:]][[:digit:]][[:upper:]]", "a1B", true), ("[[:digit:][:upper:][:space:]]", "a", false),
        ("[[:digit:][:upper:][:space:]]", "A", true), ("[[:digit:][:upper:][:space:]]", "1", true),
        ("[[:digit:][:upper:][:spaci:]]", "1", false), ("[[:space:]]", " ", true), ("[[:space:]]", ".", false),
        ("[a-c[:digit:]x-z]", "5", true), ("[a-c[:digit:]x-z]", "b", true), ("[a-c[:digit:]x-z]", "q", false),
        ("[\\-^]", "]", false), ("[\\-^]", "-", true), ("[\\]]", "]", true), ("[\\]]", "\\]", false),
        ("[!\\]]", "a", true), ("a[]b", "ab", false), ("ab[", "ab[", false), ("[-]", "-", true),
        ("[a-", "-", false), ("[!a-", "-", false), ("[--A]", "-", true), ("[--A]", "5", true),
        ("[ --]", " ", true), ("[ --]", "$", true), ("[ --]", "-", true), ("[ --]", "0", false),
        ("[,]", ",", true), ("[\\\\,]", ",", true), ("[\\\\,]", "\\", true), ("[[-\\]]", "[", true),
        ("[[-\\]]", "\\", true), ("[[-\\]]", "]", true), ("[[-]]", "[]", true), ("[[-]]", "-]", true),
        ("-*-*-*-*-*-*-12-*-*-*-m-*-*-*", "-adobe-courier-bold-o-normal--12-120-75-75-m-70-iso8859-1", true),
        ("XXX/*/*/*/*/*/*/12/*/*/*/m/*/*/*", "XXX/adobe/courier/bold/o/normal//12/120/75/75/X/70/iso8859/1", false),
        ("**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txt", true),
        ("**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txtz", false),
        ("*/*/*", "foo", false), ("*/*/*", "foo/bar", false), ("*/*/*", "foo/bba/arr", true),
        ("*/*/*", "foo/bb/aa/rr", false), ("**/**/**", "foo/bb/aa/rr", true), ("*X*i", "abcXdefXghi", true),
        ("*/*X*/*/*i", "ab/cXd/efXg/hi", true), ("**/*X*/**/*i", "ab/cXd/efXg/hi", true),
        ("?", "é", false), ("??", "é", true), ("foo\\", "foo\\", false),
    ]

    @Test(arguments: pathnameCases)
    func pathnameMatching(pattern: String, text: String, expected: Bool) {
        let p = Array(pattern.utf8)
        let t = Array(text.utf8)
        let result = p.withUnsafeBufferPointer { pb in
            t.withUnsafeBufferPointer { tb in Wildmatch.matches(pb, tb, pathname: true) }
        }
        #expect(result == expected, "\(pattern) vs \(text)")
    }

    @Test func withoutPathnameStarsCrossSlashes() {
        let p = Array("foo*bar".utf8)
        let t = Array("foo/baz/bar".utf8)
        let result = p.withUnsafeBufferPointer { pb in
            t.withUnsafeBufferPointer { tb in Wildmatch.matches(pb, tb, pathname: false) }
        }
        #expect(result)
    }
}
