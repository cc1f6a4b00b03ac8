#pragma once

namespace relais {

class ConfigSchema;

/// Declares every configuration key the kernel reads, with its default. Each one is documented,
/// with the same default, in config/relais.properties (a unit test holds the two together).
void declareKernelSettings(ConfigSchema& schema);

}  // namespace relais
