import HTTPTypes
import Hummingbird

/// Marks every response as not to be cached or content-sniffed: answers carry patient text (the
/// queue, a decision with its reply), which must not stay in a browser's or a proxy's cache.
struct NoStoreMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentTypeOptions: HTTPField.Name { HTTPField.Name("X-Content-Type-Options")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.cacheControl] = "no-store"
        response.headers[Self.contentTypeOptions] = "nosniff"
        return response
    }
}
