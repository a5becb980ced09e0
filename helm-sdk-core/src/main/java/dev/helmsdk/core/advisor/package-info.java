/**
 * The upgrade advisor: which deployed releases have newer chart versions in their repositories and
 * registries, within a semver policy, as records, JSON and meters; and, opted in, the upgrades
 * themselves, one release at a time. Start with {@link dev.helmsdk.core.advisor.UpgradeAdvisor#builder}.
 */
package dev.helmsdk.core.advisor;
