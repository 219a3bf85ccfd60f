/** Where everything lives in the stores: every key and name ({@link io.strata.storage.engine.layout.StorageKeys}) and blocking helpers over the blob SPI. */
package io.strata.storage.engine.layout;
