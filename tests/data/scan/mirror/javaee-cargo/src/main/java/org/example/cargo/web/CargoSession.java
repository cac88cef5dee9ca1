package org.example.cargo.web;

import jakarta.enterprise.context.SessionScoped;
import java.io.Serializable;

@SessionScoped
public class CargoSession implements Serializable {
    private String trackingId;
}
