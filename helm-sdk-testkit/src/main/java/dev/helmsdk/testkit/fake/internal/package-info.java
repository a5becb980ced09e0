/** How the fake manager works inside: its in-memory engine, storage, chart reading, faults and call log. Not API. */
package dev.helmsdk.testkit.fake.internal;
