import Testing
@testable import CairnCore

struct TOMLReaderTests {
    private func parse(_ text: String) throws -> YAMLMapping {
        try TOMLReader.parse(text, path: "p.toml")
    }

    private func failure(_ text: String) -> FormatError? {
        do {
            _ = try TOMLReader.parse(text, path: "p.toml")
            return nil
        } catch {
            return error
        }
    }

    @Test func keepsKeyOrderOfTablesAndKeys() throws {
        let doc = try parse("""
            z = 1
            a = 2
            [owner]
            name = "Tom"
            dob = 1979-05-27T07:32:00-08:00
            [database]
            enabled = true
            ports = [ 8000, 8001, 8002 ]
            data = [ ["delta", "phi"], [3.14] ]
            temp_targets = { cpu = 79.5, case = 72.0 }
            [servers.beta]
            ip = "10.0.0.2"
            [servers.alpha]
            ip = "10.0.0.1"
            """)
        #expect(doc.keys == ["z", "a", "owner", "database", "servers"])
        #expect(doc["owner"] == ["name": "Tom", "dob": "1979-05-27 07:32:00-08:00"])
        #expect(doc["database"] == [
            "enabled": true, "ports": [8000, 8001, 8002], "data": [["delta", "phi"], [3.14]],
            "temp_targets": ["cpu": 79.5, "case": 72.0],
        ])
        #expect(doc["servers"]?.mappingValue?.keys == ["beta", "alpha"])
    }

    @Test func dottedKeysAndQuotedKeys() throws {
        let doc = try parse("""
            name = "Orange"
            physical.color = "orange"
            physical.shape = "round"
            site."google.com" = true
            "127.0.0.1" = "value"
            'quoted "value"' = "v"
            fruit . flavor = "sweet"
            3.14159 = "pi"
            "" = "empty"
            """)
        #expect(doc["physical"] == ["color": "orange", "shape": "round"])
        #expect(doc["site"] == ["google.com": true])
        #expect(doc["127.0.0.1"] == "value")
        #expect(doc["quoted \"value\""] == "v")
        #expect(doc["fruit"] == ["flavor": "sweet"])
        #expect(doc["3"] == ["14159": "pi"])
        #expect(doc[""] == "empty")
    }

    @Test func implicitTablesAndSuperTablesAfterwards() throws {
        let doc = try parse("""
            [x.y.z.w]
            a = 1
            [x]
            b = 2
            """)
        #expect(doc["x"] == ["y": ["z": ["w": ["a": 1]]], "b": 2])

        let dotted = try parse("""
            [fruit]
            apple.color = "red"
            apple.taste.sweet = true
            [fruit.apple.texture]
            smooth = true
            """)
        #expect(dotted["fruit"] == ["apple": ["color": "red", "taste": ["sweet": true], "texture": ["smooth": true]]])
    }

    @Test func arraysOfTables() throws {
        let doc = try parse("""
            [[products]]
            name = "Hammer"
            sku = 738594937
            [[products]]  # empty table within the array
            [[products]]
            name = "Nail"
            color = "gray"

            [[fruits]]
            name = "apple"
            [fruits.physical]
            color = "red"
            [[fruits.varieties]]
            name = "red delicious"
            [[fruits.varieties]]
            name = "granny smith"
            [[fruits]]
            name = "banana"
            [[fruits.varieties]]
            name = "plantain"
            """)
        #expect(doc["products"] == [["name": "Hammer", "sku": 738594937], [:], ["name": "Nail", "color": "gray"]])
        #expect(doc["fruits"] == [
            ["name": "apple", "physical": ["color": "red"],
             "varieties": [["name": "red delicious"], ["name": "granny smith"]]],
            ["name": "banana", "varieties": [["name": "plantain"]]],
        ])
        #expect(try parse("points = [ { x = 1, y = 2 }, { x = 7, y = 8 } ]")["points"]
                == [["x": 1, "y": 2], ["x": 7, "y": 8]])
    }

    @Test func inlineTables() throws {
        let doc = try parse("""
            name = { first = "Tom", last = "Preston-Werner" }
            point = {x=1,y=2}
            animal = { type.name = "pug" }
            empty = {}
            """)
        #expect(doc["name"] == ["first": "Tom", "last": "Preston-Werner"])
        #expect(doc["point"] == ["x": 1, "y": 2])
        #expect(doc["animal"] == ["type": ["name": "pug"]])
        #expect(doc["empty"] == [:])
    }

    @Test func basicStringsAndEscapes() throws {
        let doc = try parse(#"""
            str = "I'm a string. \"You can quote me\". Name\tJos\u00E9\nLocation\tSF."
            esc = "\b\f\r\\\U0001F600\e\x41"
            lit = 'C:\Users\nodejs\templates'
            quoted = '<\i\c*\s*>'
            empty = ""
            """#)
        #expect(doc["str"] == "I'm a string. \"You can quote me\". Name\tJosé\nLocation\tSF.")
        #expect(doc["esc"] == "\u{8}\u{C}\r\\😀\u{1B}A")
        #expect(doc["lit"] == #"C:\Users\nodejs\templates"#)
        #expect(doc["quoted"] == #"<\i\c*\s*>"#)
        #expect(doc["empty"] == "")
    }

    @Test func multiLineStrings() throws {
        let doc = try parse(#"""
            str1 = """
            Roses are red
            Violets are blue"""
            str2 = """
            The quick brown \


              fox jumps over \
                the lazy dog."""
            str4 = """Here are two quotation marks: "". Simple enough."""
            str5 = """Here are three quotation marks: ""\"."""
            str7 = """"This," she said, "is just a pointless statement.\""""
            lit1 = '''
            The first newline is
            trimmed in raw strings.
               All other whitespace
               is preserved.
            '''
            lit2 = ''''That,' she said, 'is still pointless.''''
            crlf = """a\#r\#nb"""
            """#)
        #expect(doc["str1"] == "Roses are red\nViolets are blue")
        #expect(doc["str2"] == "The quick brown fox jumps over the lazy dog.")
        #expect(doc["str4"] == #"Here are two quotation marks: "". Simple enough."#)
        #expect(doc["str5"] == #"Here are three quotation marks: """."#)
        #expect(doc["str7"] == #""This," she said, "is just a pointless statement.""#)
        #expect(doc["lit1"] == "The first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n")
        #expect(doc["lit2"] == "'That,' she said, 'is still pointless.'")
        #expect(doc["crlf"] == "a\r\nb")
    }

    @Test func integers() throws {
        let doc = try parse("""
            a = +99
            b = 42
            c = 0
            d = -17
            e = 1_000
            f = 5_349_221
            g = 1_2_3_4_5
            h = 0xDEADBEEF
            i = 0xdead_beef
            j = 0o01234567
            k = 0o755
            l = 0b11010110
            m = -0
            n = 9223372036854775807
            """)
        let expected: [(String, YAMLValue)] = [
            ("a", 99), ("b", 42), ("c", 0), ("d", -17), ("e", 1000), ("f", 5_349_221), ("g", 12345),
            ("h", 0xDEADBEEF), ("i", 0xDEADBEEF), ("j", 0o01234567), ("k", 0o755), ("l", 0b11010110),
            ("m", 0), ("n", .int(Int.max)),
        ]
        for (key, value) in expected { #expect(doc[key] == value, "\(key)") }
    }

    @Test func floats() throws {
        let doc = try parse("""
            a = +1.0
            b = 3.1415
            c = -0.01
            d = 5e+22
            e = 1e06
            f = -2E-2
            g = 6.626e-34
            h = 224_617.445_991_228
            i = inf
            j = +inf
            k = -inf
            l = nan
            m = -nan
            n = 1e10
            """)
        let expected: [(String, Double)] = [
            ("a", 1.0), ("b", 3.1415), ("c", -0.01), ("d", 5e22), ("e", 1e6), ("f", -0.02), ("g", 6.626e-34),
            ("h", 224617.445991228), ("i", .infinity), ("j", .infinity), ("k", -.infinity), ("n", 1e10),
        ]
        for (key, value) in expected { #expect(doc[key] == .float(value), "\(key)") }
        #expect(doc["l"]?.doubleValue?.isNaN == true)
        #expect(doc["m"]?.doubleValue?.isNaN == true)
    }

    @Test func booleans() throws {
        let doc = try parse("t = true\nf = false")
        #expect(doc == ["t": true, "f": false])
    }

    /// Dates and times as DVC shows them (Python `str()` of the datetime objects, checked with DVC 3.67.1's
    /// `params diff`).
    @Test func datesAndTimesAsPythonStrings() throws {
        let doc = try parse("""
            odt1 = 1979-05-27T07:32:00Z
            odt2 = 1979-05-27T00:32:00-07:00
            odt3 = 1979-05-27T00:32:00.999999-07:00
            odt4 = 1979-05-27 07:32:00Z
            odt5 = 1979-05-27T07:32:00-00:00
            ldt1 = 1979-05-27T07:32:00
            ldt2 = 1979-05-27T00:32:00.999999
            ldt3 = 1979-05-27t00:32:00.1234567
            ld1 = 1979-05-27
            lt1 = 07:32:00
            lt2 = 00:32:00.5
            lt3 = 00:32:00.000
            """)
        let expected: [(String, String)] = [
            ("odt1", "1979-05-27 07:32:00+00:00"), ("odt2", "1979-05-27 00:32:00-07:00"),
            ("odt3", "1979-05-27 00:32:00.999999-07:00"), ("odt4", "1979-05-27 07:32:00+00:00"),
            ("odt5", "1979-05-27 07:32:00+00:00"), ("ldt1", "1979-05-27 07:32:00"),
            ("ldt2", "1979-05-27 00:32:00.999999"), ("ldt3", "1979-05-27 00:32:00.123456"),
            ("ld1", "1979-05-27"), ("lt1", "07:32:00"), ("lt2", "00:32:00.500000"), ("lt3", "00:32:00"),
        ]
        for (key, value) in expected { #expect(doc[key] == .string(value), "\(key)") }
    }

    @Test func commentsWhitespaceAndLineEndings() throws {
        let doc = try parse("# a comment\r\n\tkey = \"value\" # trailing\r\n\n[t] # header comment\r\nx = [ # in array\n 1, # one\n 2, ]\n")
        #expect(doc == ["key": "value", "t": ["x": [1, 2]]])
        #expect(try parse("") == [:])
        #expect(try parse("# only a comment\n\n") == [:])
    }

    @Test func errorsCarryLineAndColumn() throws {
        let cases: [(String, Int, Int)] = [
            ("a = 1\nb = \n", 2, 5),
            ("a = 1\na = 2\n", 2, 1),
            ("[t]\nx = 1\n[t]\n", 3, 1),
            ("a = \"unterminated\n", 1, 18),
            ("a = 01\n", 1, 5),
            ("a = 1__0\n", 1, 5),
            ("a = 0x\n", 1, 5),
            ("a = 1979-13-01\n", 1, 5),
            ("a = bare\n", 1, 5),
            ("a = 1 b = 2\n", 1, 7),
            ("a = [1, 2\n", 2, 1),
            ("a = { x = 1\n", 2, 1),
            ("a = \"\\q\"\n", 1, 6),
            ("a.b = 1\n[a]\n", 2, 1),
            ("a = {x = 1}\na.y = 2\n", 2, 1),
            ("[[a]]\n[a]\n", 2, 1),
            ("a = [1]\n[[a]]\n", 2, 1),
            ("= 1\n", 1, 1),
            ("a = 1.\n", 1, 5),
            ("a = .5\n", 1, 5),
            ("a = 1e\n", 1, 5),
        ]
        for (text, line, column) in cases {
            let error = failure(text)
            #expect(error?.path == "p.toml", "\(text.debugDescription)")
            #expect(error?.line == line && error?.column == column,
                    "\(text.debugDescription): \(String(describing: error))")
            #expect(error?.message.hasPrefix("invalid TOML") == true)
        }
    }
}
