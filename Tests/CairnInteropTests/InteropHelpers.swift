import CairnTestSupport
import Foundation
import Testing
