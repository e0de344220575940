import Testing
@testable import CairnRemote

@Suite struct S3XMLTests {
    @Test func listBucketResultPage() {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>p/</Prefix>
            <KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>
            <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
            <Contents><Key>p/files/md5/ab/cdef</Key><ETag>&quot;x&quot;</ETag><Size>3</Size></Contents>
            <Contents><Key>p/a &amp; b &lt;c&gt; &#233;&#x4e2d;</Key><Size>1</Size></Contents>
            </ListBucketResult>
            """
        let page = S3ListPage(parsing: S3XML(xml))
        #expect(page.keys == ["p/files/md5/ab/cdef", "p/a & b <c> é中"])
        #expect(page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
        let last = S3ListPage(parsing: S3XML("<ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount></ListBucketResult>"))
        #expect(last.keys.isEmpty && last.nextContinuationToken == nil)
    }

    @Test func errorDocument() {
        let error = S3ErrorBody(parsing: S3XML("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>
            <BucketName>x</BucketName><RequestId>1</RequestId></Error>
            """))
        #expect(error.code == "NoSuchBucket")
        #expect(error.message == "The specified bucket does not exist")
        #expect(S3ErrorBody(parsing: S3XML("<ListBucketResult/>")).code == nil)
        #expect(S3ErrorBody(parsing: S3XML("")).code == nil)
    }

    @Test func initiateMultipartUploadAndDeleteResult() {
        let initiated = S3XML("""
            <InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket>\
            <Key>k</Key><UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>
            """)
        #expect(initiated.value("UploadId") == "VXBsb2FkIElE")
        let deleted = S3DeleteResult(parsing: S3XML("""
            <DeleteResult><Deleted><Key>a</Key></Deleted><Error><Key>b&amp;c</Key><Code>AccessDenied</Code>\
            <Message>Access Denied</Message></Error></DeleteResult>
            """))
        #expect(deleted.errors.count == 1)
        #expect(deleted.errors.first?.key == "b&c")
        #expect(deleted.errors.first?.code == "AccessDenied")
        #expect(S3DeleteResult(parsing: S3XML("<DeleteResult/>")).errors.isEmpty)
    }

    @Test func similarNamesAndEscaping() {
        let xml = S3XML("<R><KeyCount>3</KeyCount><Key>k</Key><Keys>z</Keys><Key/></R>")
        #expect(xml.values("Key") == ["k", ""])
        #expect(S3XML.escape("a&b<c>\"'") == "a&amp;b&lt;c&gt;&quot;&apos;")
        #expect(S3XML(S3XML.escape("<&é>")).values("x").isEmpty)
    }
}
