import Foundation
import Testing
@testable import CairnRemote

@Suite struct S3ConfigTests {
    static let credentialsFile = """
        # shared credentials
        [default]
        aws_access_key_id = FILEDEFAULT
        aws_secret_access_key = file-default-secret

        [dev]
        aws_access_key_id=FILEDEV
        aws_secret_access_key=file-dev-secret
        aws_session_token = file-dev-token
        """
    static let configFile = """
        [default]
        region = eu-west-1
        [profile dev]
        region = ap-south-1
        s3 =
          addressing_style = path
        [profile keys]
        aws_access_key_id = CONFIGKEYS
        aws_secret_access_key = config-keys-secret
        """

    func resolve(_ options: [String: String] = [:], _ environment: [String: String] = [:],
                 credentials: String? = credentialsFile, config: String? = configFile) throws -> S3Settings {
        try S3SettingsResolver.resolve(url: "s3://b/p", options: options, environment: environment,
                                       credentialsFile: credentials, configFile: config)
    }

    @Test func remoteOptionsWinOverEnvironmentAndFiles() throws {
        let settings = try resolve(
            ["access_key_id": "OPTKEY", "secret_access_key": "opt-secret", "session_token": "opt-token"],
            ["AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "env-secret"])
        #expect(settings.credentials == S3Credentials(accessKeyID: "OPTKEY", secretAccessKey: "opt-secret", sessionToken: "opt-token"))
        #expect(settings.source == .remoteOptions)
    }

    @Test func environmentWinsOverFiles() throws {
        let settings = try resolve([:], ["AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "env-secret",
                                         "AWS_SESSION_TOKEN": "env-token"])
        #expect(settings.credentials == S3Credentials(accessKeyID: "ENVKEY", secretAccessKey: "env-secret", sessionToken: "env-token"))
        #expect(settings.source == .environment)
        // Half a pair in the environment is ignored, as boto does.
        #expect(try resolve([:], ["AWS_ACCESS_KEY_ID": "ENVKEY"]).credentials?.accessKeyID == "FILEDEFAULT")
    }

    @Test func profilesFromOptionEnvironmentOrDefault() throws {
        #expect(try resolve().credentials?.accessKeyID == "FILEDEFAULT")
        #expect(try resolve().region == "eu-west-1")
        let dev = try resolve(["profile": "dev"], ["AWS_PROFILE": "keys"])
        #expect(dev.credentials == S3Credentials(accessKeyID: "FILEDEV", secretAccessKey: "file-dev-secret", sessionToken: "file-dev-token"))
        #expect(dev.source == .profile("dev"))
        #expect(dev.region == "ap-south-1")
        #expect(dev.addressingStyle == .path)
        let keys = try resolve([:], ["AWS_PROFILE": "keys"])
        #expect(keys.credentials?.accessKeyID == "CONFIGKEYS")
        #expect(keys.region == "us-east-1")
        #expect(keys.addressingStyle == .auto)
    }

    @Test func regionPrecedence() throws {
        #expect(try resolve(["region": "us-west-2"], ["AWS_REGION": "eu-central-1"]).region == "us-west-2")
        #expect(try resolve([:], ["AWS_REGION": "eu-central-1", "AWS_DEFAULT_REGION": "eu-north-1"]).region == "eu-central-1")
        #expect(try resolve([:], ["AWS_DEFAULT_REGION": "eu-north-1"]).region == "eu-north-1")
        #expect(try resolve([:], [:], config: nil).region == "us-east-1")
    }

    @Test func anonymousLoginSignsNothing() throws {
        let settings = try resolve(["allow_anonymous_login": "true", "access_key_id": "K", "secret_access_key": "S"])
        #expect(settings.credentials == nil)
        #expect(settings.source == .anonymous)
    }

    @Test func missingCredentialsSayWhatToDo() {
        #expect {
            try resolve(["profile": "nope"], [:], credentials: nil, config: nil)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("no AWS credentials") && text.contains("AWS_ACCESS_KEY_ID") && text.contains("s3://b/p")
        }
    }

    @Test func secretsNeverShow() throws {
        let settings = try resolve(["profile": "dev"])
        let text = "\(settings) \(String(describing: settings.credentials!)) \(String(reflecting: settings.credentials!))"
        #expect(!text.contains("file-dev-secret"))
        #expect(!text.contains("file-dev-token"))
        #expect(text.contains("FILEDEV"))
    }

    @Test func iniNestedSectionsAndComments() {
        let sections = AWSIniFile.parse("; c\n[profile   x]\nregion=r\r\ns3 =\n    addressing_style = virtual\n  max_concurrent_requests = 4\nother = y\n")
        #expect(sections["profile x"]?["region"] == "r")
        #expect(sections["profile x"]?["s3.addressing_style"] == "virtual")
        #expect(sections["profile x"]?["s3.max_concurrent_requests"] == "4")
        #expect(sections["profile x"]?["other"] == "y")
    }

    @Test func remoteURLs() throws {
        #expect(try S3Store.parse(url: "s3://bucket/some/prefix/") == ("bucket", "some/prefix"))
        #expect(try S3Store.parse(url: "s3://bucket") == ("bucket", ""))
        #expect(throws: RemoteError.self) { try S3Store.parse(url: "s3:///x") }
        #expect(throws: RemoteError.self) { try S3Store.parse(url: "gs://x/y") }
    }
}
