#pragma once

#include <string>

namespace relais {

class Journal;
namespace http {
class Request;
class Response;
}  // namespace http

/// Reading one journal chain over HTTP, the same for a tenant's admins and for the operator.
namespace routes {
/// ?from=&to= (RFC 3339), &action= (exact, or a prefix ending in '.'), &actor= (id or e-mail),
/// &limit=&cursor=, &format=json|csv. CSV streams every matching entry, without pagination.
void serveJournal(http::Request& request, http::Response& response, Journal& journal, const std::string& tenantId);
/// {ok, entries_checked, first_bad_entry_id}
void serveJournalCheck(http::Response& response, Journal& journal, const std::string& tenantId);
}  // namespace routes

}  // namespace relais
