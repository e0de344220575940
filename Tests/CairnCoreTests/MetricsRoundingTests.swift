import Testing
@testable import CairnCore

// Expected values printed by CPython 3: `str(round(x, n))`.
struct MetricsRoundingTests {
    static let cases: [(Double, Int, String)] = [
        (2.675, 0, "3.0"),
        (2.675, 1, "2.7"),
        (2.675, 2, "2.67"),
        (2.675, 5, "2.675"),
        (2.675, 10, "2.675"),
        (0.85, 0, "1.0"),
        (0.85, 1, "0.8"),
        (0.85, 2, "0.85"),
        (0.85, 5, "0.85"),
        (0.85, 10, "0.85"),
        (0.75, 0, "1.0"),
        (0.75, 1, "0.8"),
        (0.75, 2, "0.75"),
        (0.75, 5, "0.75"),
        (0.75, 10, "0.75"),
        (1.0000049999, 0, "1.0"),
        (1.0000049999, 1, "1.0"),
        (1.0000049999, 2, "1.0"),
        (1.0000049999, 5, "1.0"),
        (1.0000049999, 10, "1.0000049999"),
        (0.125, 0, "0.0"),
        (0.125, 1, "0.1"),
        (0.125, 2, "0.12"),
        (0.125, 5, "0.125"),
        (0.125, 10, "0.125"),
        (0.375, 0, "0.0"),
        (0.375, 1, "0.4"),
        (0.375, 2, "0.38"),
        (0.375, 5, "0.375"),
        (0.375, 10, "0.375"),
        (2.5, 0, "2.0"),
        (2.5, 1, "2.5"),
        (2.5, 2, "2.5"),
        (2.5, 5, "2.5"),
        (2.5, 10, "2.5"),
        (-2.5, 0, "-2.0"),
        (-2.5, 1, "-2.5"),
        (-2.5, 2, "-2.5"),
        (-2.5, 5, "-2.5"),
        (-2.5, 10, "-2.5"),
        (-1e-06, 0, "-0.0"),
        (-1e-06, 1, "-0.0"),
        (-1e-06, 2, "-0.0"),
        (-1e-06, 5, "-0.0"),
        (-1e-06, 10, "-1e-06"),
        (1e+20, 0, "1e+20"),
        (1e+20, 1, "1e+20"),
        (1e+20, 2, "1e+20"),
        (1e+20, 5, "1e+20"),
        (1e+20, 10, "1e+20"),
        (1.23456789e-07, 0, "0.0"),
        (1.23456789e-07, 1, "0.0"),
        (1.23456789e-07, 2, "0.0"),
        (1.23456789e-07, 5, "0.0"),
        (1.23456789e-07, 10, "1.235e-07"),
        (123456.789012345, 0, "123457.0"),
        (123456.789012345, 1, "123456.8"),
        (123456.789012345, 2, "123456.79"),
        (123456.789012345, 5, "123456.78901"),
        (123456.789012345, 10, "123456.789012345"),
        (-0.30000000000000004, 0, "-0.0"),
        (-0.30000000000000004, 1, "-0.3"),
        (-0.30000000000000004, 2, "-0.3"),
        (-0.30000000000000004, 5, "-0.3"),
        (-0.30000000000000004, 10, "-0.3"),
        (0.04999999999999993, 0, "0.0"),
        (0.04999999999999993, 1, "0.0"),
        (0.04999999999999993, 2, "0.05"),
        (0.04999999999999993, 5, "0.05"),
        (0.04999999999999993, 10, "0.05"),
        (0.050000000000000044, 0, "0.0"),
        (0.050000000000000044, 1, "0.1"),
        (0.050000000000000044, 2, "0.05"),
        (0.050000000000000044, 5, "0.05"),
        (0.050000000000000044, 10, "0.05"),
        (1e-05, 0, "0.0"),
        (1e-05, 1, "0.0"),
        (1e-05, 2, "0.0"),
        (1e-05, 5, "1e-05"),
        (1e-05, 10, "1e-05"),
        (5e-324, 0, "0.0"),
        (5e-324, 1, "0.0"),
        (5e-324, 2, "0.0"),
        (5e-324, 5, "0.0"),
        (5e-324, 10, "0.0"),
        (1.7976931348623157e+308, 0, "1.7976931348623157e+308"),
        (1.7976931348623157e+308, 1, "1.7976931348623157e+308"),
        (1.7976931348623157e+308, 2, "1.7976931348623157e+308"),
        (1.7976931348623157e+308, 5, "1.7976931348623157e+308"),
        (1.7976931348623157e+308, 10, "1.7976931348623157e+308"),
        (0.30000000000000004, 0, "0.0"),
        (0.30000000000000004, 1, "0.3"),
        (0.30000000000000004, 2, "0.3"),
        (0.30000000000000004, 5, "0.3"),
        (0.30000000000000004, 10, "0.3"),
        (1234.5, 0, "1234.0"),
        (1234.5, 1, "1234.5"),
        (1234.5, 2, "1234.5"),
        (1234.5, 5, "1234.5"),
        (1234.5, 10, "1234.5"),
        (1234.5, -1, "1230.0"),
        (1e300, -2, "1e+300"),
        (1.5e300, 17, "1.5e+300"),
    ]

    @Test func matchesPythonRoundThenStr() {
        for (value, digits, expected) in Self.cases {
            #expect(MetricValue.float(value).formatted(precision: digits) == expected, "round(\(value), \(digits))")
        }
    }

    @Test func onlyFloatsAreRounded() {
        #expect(MetricValue.int(12345678901).formatted(precision: 1) == "12345678901")
        #expect(MetricValue.bool(true).formatted(precision: 0) == "True")
        #expect(MetricValue.string("0.123456789").formatted(precision: 2) == "0.123456789")
        #expect(MetricValue.float(0.123456789).formatted(precision: nil) == "0.123456789")
        #expect(MetricValue.float(.infinity).formatted(precision: 2) == "inf")
        #expect(MetricValue.float(-.infinity).formatted(precision: 2) == "-inf")
        #expect(MetricValue.float(.nan).formatted(precision: 2) == "nan")
        #expect(MetricValue.float(-0.0).formatted(precision: 2) == "-0.0")
    }

    @Test func differencesFollowPythonArithmetic() {
        #expect(MetricValue.difference(new: .bool(true), old: .bool(true)) == .int(0))
        #expect(MetricValue.difference(new: .int(8), old: .int(7)) == .int(1))
        #expect(MetricValue.difference(new: .bool(true), old: .float(2.5)) == .float(-1.5))
        #expect(MetricValue.difference(new: .float(0.85), old: .float(0.8)) == .float(0.04999999999999993))
        #expect(MetricValue.difference(new: .int(1), old: .float(1)) == .float(0.0))
        #expect(MetricValue.difference(new: .string("y"), old: .string("x")) == nil)
        #expect(MetricValue.difference(new: .int(1), old: .string("x")) == nil)
        #expect(MetricValue.difference(new: .int(Int.min), old: .int(1)) == .float(Double(Int.min) - 1))
    }

    @Test func equalityIsPythons() {
        #expect(MetricValue.int(1).pythonEquals(.float(1.0)))
        #expect(MetricValue.bool(true).pythonEquals(.int(1)))
        #expect(!MetricValue.string("1").pythonEquals(.int(1)))
        #expect(!MetricValue.float(.nan).pythonEquals(.float(.nan)))
    }
}
