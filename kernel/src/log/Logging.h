#pragma once

#include <string>

namespace relais {

class Config;

/// Sends every logger of the process to one channel: standard error, or log.file when set,
/// through an asynchronous channel so that a slow disk never holds a request. Lines are
/// "2026-11-26T12:07:45.123Z level source: text", in UTC. The access log is the logger
/// "relais.access". Call once, before anything logs; call shutdownLogging() at exit to flush.
void configureLogging(const Config& config);
void shutdownLogging();

}  // namespace relais
