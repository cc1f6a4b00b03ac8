#pragma once

#include <cstdint>
#include <string>

#include "tenancy/Audit.h"
#include "tenancy/Services.h"
#include "tenancy/TenancyStore.h"

namespace relais {

class ChainedJournal;
class JobScheduler;

/// A signed record that a tenant's data was destroyed.
struct DeletionCertificate {
    std::string id;
    std::string tenantId;
    std::string document;   ///< canonical JSON: what was deleted, when, under which journal entry
    std::string signature;  ///< Ed25519 over `document`, hex
    std::int64_t createdAtMs = 0;
};

/// The life of tenants and resellers: suspend, resume, terminate, trials that end, and the
/// purge once the export window is over. Every step is journalled (tenant and platform chains)
/// and bumps the tenancy epoch, so that it takes effect at once on every node.
///
/// States: trial → active (resume after the trial); trial|active → suspended → back;
/// trial|active|suspended → terminated → (export window) → purged. A terminated tenant cannot
/// come back. Invalid transitions are Problem 409 `invalid_state`.
class Lifecycle {
public:
    Lifecycle(TenancyServices& services, ChainedJournal& chains) : s_(services), chains_(chains) {}

    /// Returns the tenant after the change; suspending a suspended tenant changes nothing.
    Tenant suspendTenant(const std::string& tenantId, const std::string& reason, const Actor& actor);
    /// Back to the state before suspension (a trial whose end has passed becomes active).
    /// Problem 409 `reseller_suspended` while its reseller is.
    Tenant resumeTenant(const std::string& tenantId, const Actor& actor);
    /// Users can no longer log in; the tenant's admins may download the export until
    /// now + tenancy.export_window_ms, and are told so by mail.
    Tenant terminateTenant(const std::string& tenantId, const Actor& actor);

    /// A trial becomes a paying tenant before its end (the reseller's decision); an active
    /// tenant is left as it is. Problem 409 `invalid_state` otherwise.
    Tenant activateTenant(const std::string& tenantId, const Actor& actor);

    /// Suspends the reseller and, with it, its trial and active tenants.
    Reseller suspendReseller(const std::string& resellerId, const std::string& reason, const Actor& actor);
    /// Resumes the reseller and the tenants suspended with it.
    Reseller resumeReseller(const std::string& resellerId, const Actor& actor);

    /// Suspends trials whose end has passed; returns how many.
    int expireTrials();
    /// Purges terminated tenants whose export window has passed; returns how many.
    int purgeDue();
    /// Destroys everything of a terminated tenant: blobs, keys, every row in every table,
    /// its journal chain. Records `tenant.purged` in the platform chain and issues a signed
    /// deletion certificate, which outlives the tenant.
    DeletionCertificate purge(const std::string& tenantId, const Actor& actor);

    /// The public key that verifies deletion certificates (32 bytes, hex).
    std::string certificateKey();
    std::optional<DeletionCertificate> certificateOfTenant(const std::string& tenantId);

    /// Registers "tenancy.trials" and "tenancy.purge", every `intervalMs`.
    void registerJobs(JobScheduler& jobs, std::int64_t intervalMs);

private:
    Tenant load(db::Connection& tx, const std::string& tenantId);
    void suspendIn(db::Connection& tx, Tenant& t, const std::string& reason, bool withReseller, const Actor& actor);
    void resumeIn(db::Connection& tx, Tenant& t, const Actor& actor);
    void journal(db::Connection& tx, const std::string& tenantId, const Actor& actor, const std::string& action,
                 const std::string& objectType, const std::string& objectId, const std::string& details = "{}") {
        journalAs(s_.journal, tx, tenantId, actor, action, objectType, objectId, details);
    }

    TenancyServices& s_;
    ChainedJournal& chains_;
};

}  // namespace relais
