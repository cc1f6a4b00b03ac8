#pragma once

#include <initializer_list>
#include <string>

#include "relais/Identity.h"

namespace relais::http {

class Request;

/// The caller, or Problem 401 `unauthenticated`.
const Principal& requireUser(const Request& request);
/// The caller, who must hold one of `roles`: Problem 401, or 403 `forbidden`.
const Principal& requireRole(const Request& request, std::initializer_list<const char*> roles);
/// The caller, whose profile must grant `feature`: Problem 403 `feature_not_allowed`.
const Principal& requireFeature(const Request& request, const std::string& feature);
/// The request's tenant, or Problem 404 (a tenant route reached without a tenant).
const TenantContext& requireTenant(const Request& request);
/// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, token
/// trimmed), or "" when there is none or another scheme.
std::string bearerToken(const Request& request);

}  // namespace relais::http
