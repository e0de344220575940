import Foundation
import Testing
@testable import CairnRemote

/// AWS's published Signature V4 test-suite vectors (service `service`, us-east-1, 2015-08-30T12:36:00Z) and the
/// S3 developer guide's examples (examplebucket, 2013-05-24).
@Suite struct S3SigV4Tests {
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)  // 20150830T123600Z
    static let s3Date = Date(timeIntervalSince1970: 1_369_353_600)  // 20130524T000000Z
    static let suiteSigner = SigV4Signer(
        credentials: S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "service")
    static let s3Signer = SigV4Signer(
        credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    static let stsToken =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/"
        + "qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
        + "scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

    @Test func timestampsAreUTC() {
        #expect(SigV4Signer.timestamps(Self.suiteDate) == ("20150830T123600Z", "20150830"))
        #expect(SigV4Signer.timestamps(Self.s3Date) == ("20130524T000000Z", "20130524"))
        #expect(SigV4Signer.timestamps(Date(timeIntervalSince1970: 951_782_400)) == ("20000229T000000Z", "20000229"))
    }

    @Test(arguments: [
        ("get-vanilla", "GET", "/", [(String, String)](), [(String, String)](),
         "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        ("post-vanilla", "POST", "/", [], [],
         "host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        ("get-vanilla-query-order-key-case", "GET", "/", [("Param2", "value2"), ("Param1", "value1")], [],
         "host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        ("post-header-value-case", "POST", "/", [], [("My-Header1", "VALUE1")],
         "host;my-header1;x-amz-date", "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
        ("get-utf8", "GET", "/ሴ", [], [],
         "host;x-amz-date", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
    ])
    func awsTestSuite(name: String, method: String, path: String, query: [(String, String)],
                      headers: [(String, String)], signedHeaders: String, signature: String) {
        let request = SignableRequest(method: method, host: "example.amazonaws.com", path: path, query: query,
                                      headers: headers, payloadHash: SigV4Signer.emptyPayloadHash)
        let signed = Self.suiteSigner.sign(request, at: Self.suiteDate)
        #expect(signed.authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)", "\(name)\n\(signed.canonicalRequest)")
        #expect(signed.headers.contains { $0 == ("x-amz-date", "20150830T123600Z") })
    }

    @Test func sessionTokenIsSigned() {
        let signer = SigV4Signer(
            credentials: S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                       sessionToken: Self.stsToken),
            region: "us-east-1", service: "service")
        let signed = signer.sign(SignableRequest(method: "POST", host: "example.amazonaws.com", path: "/",
                                                 payloadHash: SigV4Signer.emptyPayloadHash), at: Self.suiteDate)
        #expect(signed.signature == "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead")
        #expect(signed.headers.contains { $0 == ("x-amz-security-token", Self.stsToken) })
    }

    @Test func s3GetObjectExample() {
        let request = SignableRequest(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/test.txt",
            headers: [("Range", "bytes=0-9"), ("x-amz-content-sha256", SigV4Signer.emptyPayloadHash)],
            payloadHash: SigV4Signer.emptyPayloadHash)
        let signed = Self.s3Signer.sign(request, at: Self.s3Date)
        #expect(signed.authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func s3PutObjectExampleEncodesTheKeyOnce() {
        let hash = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"
        let request = SignableRequest(
            method: "PUT", host: "examplebucket.s3.amazonaws.com", path: "/test$file.text",
            headers: [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                      ("x-amz-content-sha256", hash)],
            payloadHash: hash)
        let signed = Self.s3Signer.sign(request, at: Self.s3Date)
        #expect(request.encodedPath == "/test%24file.text")
        #expect(signed.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func s3ListObjectsExample() {
        let request = SignableRequest(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/",
            query: [("prefix", "J"), ("max-keys", "2")],
            headers: [("x-amz-content-sha256", SigV4Signer.emptyPayloadHash)], payloadHash: SigV4Signer.emptyPayloadHash)
        #expect(request.encodedQuery == "max-keys=2&prefix=J")
        #expect(Self.s3Signer.sign(request, at: Self.s3Date).signature
            == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func uriEncodingFollowsS3() {
        #expect(SigV4Signer.encodePath("/a b/ü+c~d_e.f-g") == "/a%20b/%C3%BC%2Bc~d_e.f-g")
        #expect(SigV4Signer.uriEncode("files/md5/") == "files%2Fmd5%2F")
        #expect(SignableRequest(method: "GET", host: "h", path: "/", query: [("uploads", ""), ("b", "x y")],
                                payloadHash: "").encodedQuery == "b=x%20y&uploads=")
    }
}
