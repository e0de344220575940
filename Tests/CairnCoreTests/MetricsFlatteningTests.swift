import Testing
@testable import CairnCore

struct MetricsFlatteningTests {
    static func pairs(_ flat: [(key: String, value: MetricValue)]) -> [String] {
        flat.map { "\($0.key)=\($0.value.pythonStr)" }
    }

    @Test func metricsKeepScalarsAndDropListsNullsEmptyMappings() {
        let document: YAMLValue = [
            "acc": 0.8, "nested": ["f1": 0.7, "name": "x", "deep": ["z": true]], "list": [1, 2], "none": nil,
            "empty": .mapping(YAMLMapping()), "onlylist": ["l": [1]], "i": 3,
        ]
        #expect(Self.pairs(MetricsFlattening.flatten(document))
                == ["acc=0.8", "nested.f1=0.7", "nested.name=x", "nested.deep.z=True", "i=3"])
    }

    @Test func paramsKeepListsAsRepr() {
        let document: YAMLValue = ["datasets": ["alpha", "beta"], "extra": ["k": [1, 2]], "n": nil, "e": []]
        #expect(Self.pairs(MetricsFlattening.flatten(document, listsAsRepr: true))
                == ["datasets=['alpha', 'beta']", "extra.k=[1, 2]", "e=[]"])
    }

    @Test func nonStringKeysAndScalarDocuments() {
        let document = YAMLValue.mapping(YAMLMapping([(.int(1), 0.5), (.bool(false), ["x": 1]), (.null, "n")]))
        #expect(Self.pairs(MetricsFlattening.flatten(document)) == ["1=0.5", "False.x=1", "None=n"])
        #expect(Self.pairs(MetricsFlattening.flatten("a,b 1,2")) == ["=a,b 1,2"])
        #expect(MetricsFlattening.flatten([1, 2]).isEmpty)
        #expect(MetricsFlattening.flatten(nil).isEmpty)
    }
}
