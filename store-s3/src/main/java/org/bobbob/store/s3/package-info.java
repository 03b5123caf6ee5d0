/**
 * The {@code bobbob:s3://bucket/prefix} store kind: objects in an S3-compatible bucket (AWS S3,
 * MinIO, Ceph RGW), on the AWS SDK for Java v2. {@link org.bobbob.store.s3.S3StoreProvider} is
 * found by {@link java.util.ServiceLoader}; applications use the {@link org.bobbob.store.Storer}
 * that {@link org.bobbob.store.StoreManager#open(String, java.util.Properties)} returns. See
 * docs/S3.md.
 */
package org.bobbob.store.s3;
